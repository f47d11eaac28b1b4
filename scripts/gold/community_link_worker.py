"""Gold evidence units for the `community-link-worker` framework (seed 001).

Hand-written units in applicant / appraisee voice, labelled with the competency (name as the
seed spells it), level "1".."4", polarity and a short rationale. Running this script writes
data/gold/dev/community-link-worker.csv and data/gold/test/community-link-worker.csv with a
seeded, stratified split (multi-label texts stay in one split), plus the dev-only units written
later (`scripts/gold/dev_only.py`).

    python scripts/gold/community_link_worker.py

Notes prefixed "HARD:" mark deliberately tricky units (modest wording for a high level,
grand wording for a low one, NONE units that sound like evidence).
"""

from __future__ import annotations

import csv
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import dev_only

FRAMEWORK_ID = "community-link-worker"
SEED = 1
TEST_FRACTION = 0.24

TW = "Team Working"
LSD = "Leading, Supporting & Developing Others"
SA = "Self Awareness & Impact on Others"
RJ = "Reason, Judgement & Decision Making"
NR = "Networking & Relationship Building"
# The seed spells this one two ways: "Developing Quality Services" in the competency/level table
# and "DELIVERING QUALITY SERVICES" as the heading of its section. We use the table's spelling, as
# frameworks/community-link-worker.yaml does.
DQ = "Developing Quality Services"
CS = "Customer & Stakeholder Focus"
NONE = "NONE"

# (competency, level, text, note). level "N" = negative (counter-evidence) row.
SINGLE: list[tuple[str, str, str, str]] = [
    # ------------------------------------------------------------------ Team Working
    (TW, "1", "When the practice manager asked us all to move to the new referral form, I switched over straight away even though I preferred the old one.",
     "L1 supports the way ahead once agreed"),
    (TW, "1", "I post a short update in our team chat every Friday about who I've seen and any new groups I've come across.",
     "L1 keeps immediate team up to date"),
    (TW, "1", "Covered the reception desk at the community hub for two afternoons when they were short - not really my job but it needed doing",
     "L1 helps with matters outside immediate team"),
    (TW, "1", "At team meetings I usually put forward at least one idea, for example suggesting we keep a shared list of groups that take self-referrals.",
     "L1 active contribution by voicing ideas"),
    (TW, "1", "- passed on the new food bank voucher criteria to the other link workers the same day I got them",
     "L1 shares relevant information"),
    (TW, "1", "If a colleague is off sick I pick up their urgent calls so clients aren't left waiting.",
     "L1 offers help to colleagues when required"),
    (TW, "1", "I was instrumental in driving forward a culture of shared excellence by ensuring my colleagues were always fully informed of changes to the foodbank opening hours.",
     "HARD: grand words, but the behaviour is passing on information (L1)"),
    (TW, "1", "Although I'm based in the surgery four days a week, I still go into the WDCVS office on my fifth day to catch up with everyone and hear what the other projects are doing.",
     "L1 sees self as part of the wider team"),
    (TW, "1", "i helped the admin team stuff 400 envelopes for the volunteers week mailout",
     "L1 helps outside own team; plain, lower-case"),
    (TW, "1", "Keep the team diary updated so everyone knows where I am",
     "L1 keeps others up to date"),
    (TW, "2", "I joined the organisation's staff wellbeing working group last year and helped plan our first all-staff away day.",
     "L2 actively participates in corporate-level initiatives"),
    (TW, "2", "I started a 'good news Friday' slot at our huddle where each of us shares one client success, and it's now a regular fixture.",
     "L2 builds team spirit"),
    (TW, "2", "When a GP commented that the volunteer drivers were 'unreliable', I pointed out they had covered 96% of booked journeys that quarter despite two of them being off sick.",
     "L2 challenges undue criticism of colleagues' commitment"),
    (TW, "2", "In my update to the board I made a point of saying how hard the befriending team had worked to keep volunteers on board during lockdown.",
     "L2 speaks positively about others' efforts to other parties"),
    (TW, "2", "I took part in the organisation-wide consultation on our new five year strategy and helped run one of the staff focus groups.",
     "L2 dedication; participates in corporate initiative"),
    (TW, "2", "Organised a team walk and lunch once a month over the winter, mostly to keep morale up when caseloads were heavy.",
     "L2 works to build team spirit"),
    (TW, "2", "When someone in the staff room started moaning that the Gateway team 'never pick up the phone', I said I'd always found them helpful and gave an example of a same-day callback.",
     "L2 challenges negative talk about other staff"),
    (TW, "2", "Did the Challenge Poverty Week stall on my day off.",
     "L2 dedication to the organisation's work / corporate initiative"),
    (TW, "2", "I tend to be the one who remembers birthdays and organises the card and cake - small things, but the team says it makes a difference.",
     "HARD: modest wording; L2 team spirit"),
    (TW, "2", "I regularly tell the practice nurses at meetings how much the link worker service depends on their referrals, and thank them by name.",
     "L2 consistently speaks positively about others' work"),
    (TW, "3", "When I noticed the welfare rights team were swamped with PIP appeals, I offered to do the initial paperwork checks for my clients before referring, which cut their prep time considerably.",
     "L3 proactively offers support to colleagues in other teams"),
    (TW, "3", "I don't get on especially well with one of the practice managers, but I still meet her fortnightly and send her my monthly figures early because the service needs that relationship to work.",
     "L3 promotes good working relationships regardless of personal likes"),
    (TW, "3", "In my end-of-year report I named the two volunteer befrienders whose visits had kept Mrs T out of hospital, and sent a copy to their coordinator.",
     "L3 credits others who have performed well"),
    (TW, "3", "Having spotted that several of my clients were being turned away from the housing options drop-in, I sent a short note setting out the pattern to the housing and advice teams across the organisation.",
     "L3 volunteers relevant insights across the organisation"),
    (TW, "3", "There was real friction between the surgery reception staff and our Gateway team over lost referrals, so I got both sides round a table, we mapped where referrals were going missing and agreed one route; nobody has lost one since.",
     "L3 helps defuse conflict between teams"),
    (TW, "3", "I just try to muck in wherever - like when the youth team needed someone who knew the local GP surgeries for their consultation, I offered to go along.",
     "HARD: modest wording; L3 proactively offers support to other teams"),
    (TW, "3", "Staff from other projects often come to me for a steer on health services, and I make a point of passing on anything I hear that might be useful to them.",
     "L3 positive influence; volunteers insights across organisation"),
    (TW, "3", "When two of our volunteers fell out over the lunch club rota, I met each seperately and then together, and they now run alternate weeks quite happily.",
     "L3 defuses conflict between team members"),
    (TW, "3", "I wrote a one-page briefing on the changes to Scottish Welfare Fund crisis grants and circulated it to every team in the organisation, not just the link workers.",
     "L3 volunteers information to people across the organisation"),
    (TW, "3", "Whenever a joint piece of work goes well I make sure the other team's part in it is mentioned in our newsletter, not just ours.",
     "L3 credits others; acts corporately"),
    (TW, "4", "I argued at the management meeting that one of our link worker posts should move to the practice with the highest deprivation score, even though it meant losing a colleague from my own cluster.",
     "L4 supports decision benefiting the whole, against own team's short-term interest"),
    (TW, "4", "I set up and chaired a working group with the HSCP mental health team, two housing associations and the library service to create a single referral route for people leaving hospital.",
     "L4 initiates cross-boundary project"),
    (TW, "4", "As team lead I freed all four link workers from clinics for a day so they could take part in the strategy consultation, and covered the urgent cases myself.",
     "L4 encourages/releases others to take part in corporate initiatives"),
    (TW, "4", "I backed pooling our small grants budget with the youth team's - unpopular with my own colleagues - because it meant families dealt with one worker instead of two.",
     "L4 supports unpopular decision for the organisation as a whole"),
    (TW, "4", "I trust the pharmacists, OTs and welfare officers I work with to lead when they're better placed, and will hand a case over completely; our joint caseload reviews are built on that.",
     "L4 exemplar of joined-up working; confidence in other professions"),
    (TW, "4", "I initiated a joint project between the practice, the local college and our volunteering team so patients with low confidence could try taster courses with a volunteer buddy; 34 people took part in year one.",
     "L4 initiates cross-boundary project"),
    (TW, "4", "I suppose what I'm proudest of is getting the pharmacy, the CAB outreach worker and us all working out of the same room on a Tuesday. It took a lot of emails!",
     "HARD: modest wording; L4 initiates cross-boundary working"),
    (TW, "4", "When funding was cut I recommended our team absorb the befriending waiting list rather than close it, knowing it would stretch us for six months, because the organisation's standing with the HSCP depended on it.",
     "L4 takes decision for organisation as a whole at cost to own team"),
    (TW, "4", "I arranged cover so that two of our sessional staff could sit on the organisation's anti-poverty steering group, and encouraged them to put their names forward.",
     "L4 encourages/releases others to join corporate initiatives"),
    (TW, "4", "Co-designed a 'warm handover' protocol shared by primary care, social work and three third sector providers, and still act as convenor of the group that maintains it",
     "L4 initiates and supports cross-boundary project"),
    (TW, "N", "To be honest I don't really know what the other teams in the building do; I focus on my own clients.",
     "NEG does not show interest in / engage with other groups"),
    (TW, "N", "I've found it more efficient to get on with my own targets than get pulled into whole-team stuff like the away days.",
     "NEG pursues personal goals; not active in team"),
    (TW, "N", "Sometimes I'll join in when the others are complaining about the practice admin staff, it's a way of letting off steam.",
     "NEG participates in negative discussions about colleagues"),

    # ------------------------------------------------ Leading, Supporting & Developing Others
    (LSD, "1", "When new volunteers start at the lunch club, I show them how we sign people in and where everything is kept.",
     "L1 show & tell for volunteers"),
    (LSD, "1", "I noticed a newer colleague was staying late every night and seemed tearful, so I mentioned it to our manager.",
     "L1 aware colleague struggling; brings to manager's attention"),
    (LSD, "1", "I'm happy to share my spreadsheet of local groups with anyone who asks for it.",
     "L1 generous in sharing knowledge"),
    (LSD, "1", "After a student social worker's first home visit with me I told her what had gone well and suggested she check the client's benefit entitlement next time.",
     "L1 constructive feedback to a peer"),
    (LSD, "1", "Showed the new receptionist how to book patients into my clinic on EMIS",
     "L1 informal show & tell"),
    (LSD, "1", "I empower and transform the practice of those around me by passing on my extensive knowledge of community resources whenever a colleague needs it.",
     "HARD: grand words; behaviour is sharing knowledge on request (L1)"),
    (LSD, "1", "My colleague went for the senior worker post, so I read over her application and told her where it was strongest.",
     "L1 wants others to succeed; supports peer"),
    (LSD, "1", "I let a new volunteer shadow me for a morning at the surgery so she could see what a first appointment actually looks like.",
     "L1 informal help for volunteers"),
    (LSD, "1", "I sat with our new admin assistant for half an hour explaining how the referral spreadsheet works.",
     "L1 show & tell with newer staff"),
    (LSD, "1", "I pointed a colleague to the online benefits calculator I use, which saved her alot of time.",
     "L1 shares knowledge; typo kept"),
    (LSD, "2", "I delivered three formal induction sessions on our case management system for new link workers, with a handout and a follow-up check a month later.",
     "L2 formal on-the-job training"),
    (LSD, "2", "Mentor to a trainee CD worker for the past year, fortnightly meetings",
     "L2 acts as mentor"),
    (LSD, "2", "Without being asked, I put together a 'first month' guide for new befriending volunteers covering boundaries, lone working and who to call.",
     "L2 proactively shares skills and knowledge"),
    (LSD, "2", "I check in with the two newer link workers every Monday to see how their caseloads are going and whether they need anything from me.",
     "L2 active interest in supporting colleagues"),
    (LSD, "2", "I ran a lunchtime session for practice staff on what social prescribing can and can't offer their patients.",
     "L2 formal training / proactively shares knowledge"),
    (LSD, "2", "I trained six peer supporters to use the Warwick-Edinburgh wellbeing scale, including role-play and observed practice before they used it with clients.",
     "L2 formal on-the-job training"),
    (LSD, "2", "I'm not a trainer as such, but I did put together the motivational interviewing sessions for our new starts and ran them over four weeks.",
     "HARD: modest wording; L2 formal training"),
    (LSD, "2", "Buddied a new starter for her first six weeks: shadowing, then reverse shadowing, then weekly catch ups",
     "L2 helps newer staff; mentoring"),
    (LSD, "2", "After my suicide prevention training I cascaded the key points to the rest of the team at our next meeting.",
     "L2 proactively shares skills and knowledge"),
    (LSD, "2", "When our new welfare assistant started I spent time with her most days until she was confident handling calls on her own.",
     "L2 helps newer staff informally; active interest"),
    (LSD, "3", "A volunteer told me she wasn't 'clever enough' to lead the walking group, so I went through the feedback forms with her, pointing out how many people mentioned her patience; she's now led it for a year.",
     "L3 builds self-confidence by affirming strengths"),
    (LSD, "3", "Straight after a joint visit I told a colleague she had talked over the client several times, and we agreed she'd try leaving silences; she later said it changed how she works.",
     "L3 timely developmental feedback on behaviour"),
    (LSD, "3", "In supervision with our sessional workers I look both at how accurate their case notes are and how they build rapport, because the client outcome depends on both.",
     "L3 values technical and soft skills"),
    (LSD, "3", "I coached a peer support worker through her SVQ3 over nine months; she passed and has since been promoted.",
     "L3 guidance/coaching so others excel and develop"),
    (LSD, "3", "I make a point of telling volunteers specifically what they did well - 'the way you remembered his daughter's name made him relax' - rather than just saying thanks.",
     "L3 affirmation of strengths"),
    (LSD, "3", "Not sure it counts as coaching, but I sit down with each of our befrienders every few months to talk through what's working, and two of them have gone on to paid support roles.",
     "HARD: modest wording; L3 coaching so others develop"),
    (LSD, "3", "When a student on placement kept avoiding phone calls, I raised it with him that week, explored what was behind it and we practised calls together until he was comfortable.",
     "L3 timely constructive challenge plus coaching"),
    (LSD, "3", "A colleague was brilliant on benefits but found distressed clients hard, so I paired her with me for difficult first appointments and we debriefed after each one.",
     "L3 values soft skills; coaching and support"),
    (LSD, "3", "I helped three long-term volunteers prepare CVs, practise interviews and think about their strengths; all three have moved into paid posts in care, housing support and the NHS.",
     "L3 guidance and support so others develop"),
    (LSD, "3", "I challenged a team member, privately and respectfully, when I heard her promise a client a house move she couldn't deliver, and we worked out together how to put it right.",
     "L3 constructive challenge on behaviour"),
    (LSD, "4", "As senior link worker I coached two team leaders on giving difficult feedback to staff about boundaries, including rehearsing the conversations with them beforehand.",
     "L4 advises/counsels colleagues to give challenging feedback"),
    (LSD, "4", "I noticed our Gateway colleagues had no reflective supervision, so I set up a monthly group session for them and facilitated it for a year.",
     "L4 offers support freely outside immediate team; proactive development"),
    (LSD, "4", "I wrote the case for protected learning time for all frontline staff - half a day a month - and it was approved by the board.",
     "L4 attaches importance to learning and development"),
    (LSD, "4", "When a colleague in the finance team confided she was overwhelmed after a bereavement, I helped her approach HR about a phased return and checked in with her weekly.",
     "L4 active support for staff struggling with stress, outside own team"),
    (LSD, "4", "I now run a peer coaching network for link workers across three HSCP clusters, and several of the original members coach newer staff themselves.",
     "L4 helps others develop as coaches"),
    (LSD, "4", "I introduced individual learning plans for everyone in our small team and made sure the training budget went to the people who'd benefit most, not just whoever asked first.",
     "L4 importance of L&D; proactive development"),
    (LSD, "4", "I've done a fair bit of listening for colleagues in other projects who were struggling with stress, and when it was serious I helped them get to occupational health.",
     "HARD: modest wording; L4 active support for stressed staff beyond own team"),
    (LSD, "4", "A practice manager asked me how to raise concerns with a GP about dismissive comments to patients; I talked her through how to frame it and she said it went far better than she'd feared.",
     "L4 counsels colleagues on giving challenging feedback"),
    (LSD, "4", "I trained our volunteer coordinators to coach their own volunteers using a simple GROW model, then observed and fed back on their first sessions.",
     "L4 helps others develop coaching skills"),
    (LSD, "4", "During winter pressures I set up short daily check-ins for the whole team and arranged confidential sessions with a counsellor from a partner charity for any staff member who wanted one.",
     "L4 active support for staff under stress/pressure"),
    (LSD, "N", "I don't really have time to show new volunteers the ropes, so I usually just point them to the handbook.",
     "NEG does not share expertise / make time for others"),
    (LSD, "N", "I told the student in front of the client that her notes were useless, which in hindsight didn't do much for her confidence.",
     "NEG critiques in a way that erodes confidence"),
    (LSD, "N", "I get frustrated that the sessional staff never fill the forms in properly and I've told my manager so more than once.",
     "NEG complains about others' work without suggesting improvements"),

    # ------------------------------------------------------ Self Awareness & Impact on Others
    (SA, "1", "My supervisor suggested I spend less time on paperwork during clinic hours, and I repeated back what she meant so I was sure I'd understood.",
     "L1 listens to advice and confirms understanding"),
    (SA, "1", "I know I can take on too much, so I've started using a caseload tracker and saying no to non-urgent extras.",
     "L1 aware of own limitations and seeks to improve"),
    (SA, "1", "I accepted a colleague's offer to sit in on my first group session and told her afterwards how much it had helped.",
     "L1 acknowledges when others are trying to help"),
    (SA, "1", "Because I'd never worked with unpaid carers, I spent a day at the carers' centre to understand what a typical week looks like for them.",
     "L1 seeks to understand needs of people with caring responsibilities"),
    (SA, "1", "I'm good at building rapport but I know my report writing is weaker, so I asked to go on a report-writing course.",
     "L1 aware of strengths and limitations; seeks to improve"),
    (SA, "1", "I asked a Polish-speaking volunteer what might put Polish families off using a GP-based service.",
     "L1 seeks to understand needs of others from different backgrounds"),
    (SA, "1", "Through profound reflective practice I have developed an exceptional emotional intelligence, recognising for example that I sometimes speak too quickly in meetings.",
     "HARD: grand words; awareness of a limitation only (L1)"),
    (SA, "1", "I'm a natural talker, and I've had to learn to stop and check I've understood what someone has actually said before I jump in.",
     "L1 self-awareness; seeks to improve"),
    (SA, "1", "Feedback at my last appraisal was that I could be more confident in meetings, so I've started volunteering to give the team update.",
     "L1 accepts advice; seeks to improve"),
    (SA, "1", "I'm aware I can get attached to clients, so I talk this through in supervision to keep my boundaries right.",
     "L1 awareness of own limitations"),
    (SA, "2", "At a case review I questioned, politely but firmly, the assumption that a client 'wasn't engaging', pointing out she had no phone credit, and the team agreed to write to her instead.",
     "L2 challenges constructively and with confidence"),
    (SA, "2", "I told the client honestly that I didn't know the answer about backdating her pension credit and that I'd find out from a welfare rights officer by Friday.",
     "L2 acknowledges not knowing the answer"),
    (SA, "2", "A GP and I disagreed about whether a patient needed a mental health referral or a community group; I listened to his reasons and we agreed to offer both.",
     "L2 respects others' perspectives"),
    (SA, "2", "For a client with a learning disability I used pictures and shorter sentences, and met her in the cafe where she felt safe.",
     "L2 adapts to needs of others"),
    (SA, "2", "Asked my manager for help on a safeguarding case that was beyond my experience, rather than guessing",
     "L2 acknowledges when assistance is needed"),
    (SA, "2", "I changed how I introduce the men's shed after realising some of the men felt talked down to by my 'support worker' language.",
     "L2 adapts behaviour to others"),
    (SA, "2", "I'm not great at confrontation, but I did tell the group facilitator that her sessions were overrunning and people were missing their buses, and we sorted it.",
     "HARD: modest wording; L2 constructive challenge"),
    (SA, "2", "Even when I don't agree with a colleague's approach, I try to understand why she's chosen it - our outreach worker's 'tough love' style actually works for some of her young men.",
     "L2 understands and respects others' views"),
    (SA, "2", "For a deaf client I booked a BSL interpreter, learned a few signs so I could greet her myself, and gave her a written summary at the end of every meeting.",
     "L2 adapts to needs of others"),
    (SA, "2", "I admitted at team meeting that I'd got the foodbank eligibility wrong for two clients and asked the coordinator to go through it with me.",
     "L2 acknowledges needing assistance"),
    (SA, "3", "Before telling the practice we'd be cutting a clinic day, I thought through who'd be most upset - the nurse lead - and spoke to her first with the figures ready.",
     "L3 anticipates response and adapts plan"),
    (SA, "3", "When a patient collapsed in the waiting area I stayed calm, got the GP, and then sat with the other patients who were frightened until things settled.",
     "L3 deals with crisis calmly; steadies others"),
    (SA, "3", "A client shouted at me and threw his paperwork on the floor; I kept my voice low, gave him time, and we finished the appointment.",
     "L3 manages own emotions in difficult situation"),
    (SA, "3", "The day the lunch club lost its venue I was panicking inside, but I kept things light with the volunteers, rang round, and we were set up in the church hall by noon.",
     "L3 manages own anxiety so it doesn't affect others"),
    (SA, "3", "I knew a proud older client would refuse anything that sounded like charity, so I introduced the foodbank as a community pantry where she could also volunteer, and she agreed to go.",
     "L3 anticipates how someone will respond and adapts"),
    (SA, "3", "After a woman disclosed domestic abuse during a group session, I calmly closed the session, made sure she was safe, and debriefed the shaken volunteers afterwards.",
     "L3 crisis handled calmly; steadies others"),
    (SA, "3", "I was angry when a housing officer dismissed my client's damp complaint, but I waited until the next day to email so it came across professionally, and it got a response.",
     "L3 manages own frustration"),
    (SA, "3", "I expected the carers' group to be wary of a new worker from the surgery, so I went along as a listener for three weeks before suggesting anything.",
     "L3 anticipates reaction and adapts behaviour"),
    (SA, "3", "This year, when news of funding cuts came through and a few colleagues were very anxious, I suggested we list what we actually knew and didn't know, which calmed things down.",
     "L3 steadies the nerves of others"),
    (SA, "3", "The week EMIS was down I couldn't see any referrals, so I phoned each client myself to reassure them and made sure none of my frustration came through.",
     "L3 manages own frustration in a difficult situation"),
    (SA, "4", "I draw on motivational interviewing, solution-focused questions and trauma-informed practice, and choose between them depending on how the person in front of me responds.",
     "L4 wide range of sophisticated techniques, chosen for the person"),
    (SA, "4", "With a man who wouldn't speak in the clinic room I switched to walking and talking round the park with open questions and reflections, and he told me about his gambling for the first time.",
     "L4 technique the individual feels comfortable with"),
    (SA, "4", "In a single week I might chair a meeting with GP partners, run a peer group for young carers and sit on the floor with someone in crisis, and I change my language, pace and body language for each.",
     "L4 wide range of communication/behavioural techniques"),
    (SA, "4", "I use visual wellbeing wheels with people who find talking hard, scaling questions with those who like numbers, and life-story work with older clients.",
     "L4 range of techniques matched to individuals"),
    (SA, "4", "I suppose I just read the room: with GPs I'm brief and data-led, with anxious clients I slow right down and mirror their pace, with teenagers I'm informal and use humour.",
     "HARD: modest wording; L4 deploys a wide range of techniques"),
    (SA, "4", "I blend what I learned on ASIST, Mental Health First Aid and MI training so people feel comfortable rather than assessed; one client said it was the first time she hadn't felt 'processed'.",
     "L4 sophisticated techniques people feel comfortable with"),
    (SA, "4", "I deliberately vary my approach - patience and silence for people let down by services before, structured goal-setting for those who want action, peer introductions for those who trust other patients more than professionals.",
     "L4 wide range of techniques"),
    (SA, "4", "I use de-escalation, humour, validation and clear boundaries in different combinations, adjusting on the spot depending on whether someone is frightened, angry or shut down.",
     "L4 sophisticated behavioural techniques"),
    (SA, "4", "Colleagues often ask me to join appointments with people who've disengaged from every other service, because I can usually find a way of talking that they're comfortable with.",
     "L4 others feel comfortable with the techniques used"),
    (SA, "N", "When my manager questioned my case notes I felt she was nitpicking and told her so.",
     "NEG defensive when others give feedback"),
    (SA, "N", "I lost my temper with a receptionist who double-booked my room, in front of patients.",
     "NEG shows anger"),
    (SA, "N", "I think my way of running the groups works best, so I don't see much point changing it just because volunteers have suggestions.",
     "NEG thinks their way is the only way"),
    (SA, "N", "Honestly I think I'm stronger than my appraisal scores suggest, so I didn't really act on the development points.",
     "NEG inaccurate view of own strengths; defensive"),

    # ------------------------------------------------- Reason, Judgement & Decision Making
    (RJ, "1", "When a client arrives with a carrier bag of unopened letters, we sort them into piles - urgent debt, benefits, health, other - and tackle one pile per session.",
     "L1 breaks problem into logical steps"),
    (RJ, "1", "Foodbank referrals always get phoned first thing in my day.",
     "L1 prioritises tasks to meet needs of others"),
    (RJ, "1", "I realised the drop-in would clash with school pick-up for most parents, so I suggested moving it to 10am.",
     "L1 anticipates a problem and seeks a solution"),
    (RJ, "1", "We were typing the same data into both the GP system and our database, so I suggested to my manager that we export it instead; it's being trialled now.",
     "L1 suggests options when a process is inefficient"),
    (RJ, "1", "Before the review of our walking group I knew we'd need attendance sheets and before-and-after wellbeing scores, so I collected them throughout.",
     "L1 knows what evidence to collect"),
    (RJ, "1", "Unsure whether a neighbour's 'help' with a client's bank card was financial abuse, I checked with my line manager before doing anything.",
     "L1 consults line manager as appropriate"),
    (RJ, "1", "Applying rigorous strategic analysis, I developed a robust step-by-step methodology for completing Blue Badge applications with clients.",
     "HARD: grand words; breaking a task into steps (L1)"),
    (RJ, "1", "- broke the energy grant application into a checklist so clients could see what they'd need to bring",
     "L1 breaks task into logical steps"),
    (RJ, "1", "If a client's benefit assessment is on the Tuesday, I'll make sure our session is before then so they have everything ready.",
     "L1 prioritises to meet others' needs"),
    (RJ, "1", "I spotted that our winter leaflet still listed a warm space that had closed, flagged it, and suggested we check every listing before printing.",
     "L1 anticipates problem; suggests fix"),
    (RJ, "2", "A client kept missing appointments; rather than discharge her I dug a bit deeper and found she'd been sanctioned and couldn't afford the bus.",
     "L2 looks beyond the obvious to underlying causes"),
    (RJ, "2", "I've noticed that referrals for 'loneliness' in men over 60 often turn out to be about bereavement, so I now ask about loss early on.",
     "L2 sees patterns based on past experience"),
    (RJ, "2", "With no money for a new group, I asked the library if our clients could join their existing reading group and covered tea and biscuits from petty cash.",
     "L2 pragmatic solution"),
    (RJ, "2", "In my case notes I write down why I chose a particular referral, so anyone picking up the case can follow my thinking.",
     "L2 explains how conclusions were reached"),
    (RJ, "2", "Back from leave to 40 emails and 12 voicemails, I dealt with the two safeguarding concerns and three people in crisis first and left the rest till the afternoon.",
     "L2 identifies and focuses on key priorities"),
    (RJ, "2", "It's nothing clever, but I noticed most of the no-shows were on Monday mornings, so I moved first appointments to the afternoon and attendance went up.",
     "HARD: modest wording; L2 pattern spotting and pragmatic solution"),
    (RJ, "2", "The GP referred a patient for 'anxiety', but after talking I realised the real issue was rent arrears and fear of eviction, so we started with housing advice.",
     "L2 identifies underlying cause"),
    (RJ, "2", "Having seen three PIP forms sent back for missing GP evidence, I now check that section first with every client.",
     "L2 recognises similarities across situations"),
    (RJ, "2", "When the practice asked why I hadn't referred a patient to the exercise scheme, I talked them through her priorities and why I'd gone with the carers' centre first.",
     "L2 demonstrates and explains reasoning"),
    (RJ, "2", "I had four deadlines landing in the same week, so I worked out which two really mattered for funders and let the newsletter slip.",
     "L2 focuses on key priorities"),
    (RJ, "3", "By combining our referral data with the SIMD map and the council's food insecurity figures, I showed that two streets accounted for a third of our foodbank referrals, which changed where we did outreach.",
     "L3 links information from within and outwith to clarify implications"),
    (RJ, "3", "With one family I could see that the father's drinking, the overcrowding, the eldest's school refusal and the mother's depression were feeding each other, so I set up a joint plan with education, housing and addiction services rather than referring piecemeal.",
     "L3 sees multiple causal links in a complex case"),
    (RJ, "3", "Before deciding where to site the new carers' drop-in I asked the finance officer, the volunteering team and two practice managers for their views.",
     "L3 solicits input from across the organisation"),
    (RJ, "3", "I wrote up three options for the befriending waiting list - recruit more volunteers, move to group befriending, or telephone contact - with the costs and risks of each before recommending one.",
     "L3 option appraisal before acting"),
    (RJ, "3", "I just checked with a few people in different teams - finance, volunteering, the Gateway - before deciding whether to take on the extra surgery.",
     "HARD: modest wording; L3 solicits input from across the organisation"),
    (RJ, "3", "I noticed our referral drop-off coincided with the DWP moving its local office; I linked the two, checked with the CAB, and we put on transport help.",
     "L3 links information outwith the organisation"),
    (RJ, "3", "I compared what our clients were telling us with the national link worker evaluation and a local housing survey, which helped me show the practice why housing delays were driving GP attendance.",
     "L3 links internal and external information to clarify implications"),
    (RJ, "3", "- weighed up running the men's group online, face to face or hybrid against cost, digital access and likely drop-out, then chose hybrid for a 3 month trial",
     "L3 option appraisal before acting"),
    (RJ, "3", "Because the implications were complicated, I asked our welfare rights team and the housing lead to sense-check my thinking before advising a client whether to accept a tenancy offer.",
     "L3 solicits others' input to inform judgement"),
    (RJ, "3", "A rise in requests for help with funeral costs made me look at Funeral Support Payment take-up and what other CVSs were seeing, and I put a short paper to our policy lead.",
     "L3 links information from outwith to clarify implications"),
    (RJ, "4", "When we were asked to take people on the mental health waiting list, I weighed the benefit to patients against the risk to our volunteers and our reputation with the HSCP, and recommended a limited pilot with clinical backup.",
     "L4 critically evaluates external impact; high-quality decision"),
    (RJ, "4", "Faced with a client who wanted to stay at home despite clear risks, a family split on what to do and no capacity assessment, I made the call to convene a case conference and documented my reasoning.",
     "L4 difficult decision despite ambiguity"),
    (RJ, "4", "I took a sprawling 20-page HSCP commissioning brief and boiled it down to the three questions the board actually needed to answer, which let them decide in one meeting.",
     "L4 simplifies complex situations"),
    (RJ, "4", "I spotted that the new GP contract would push more non-clinical work onto practices and proposed positioning link workers as the route for it, which became part of our funding bid.",
     "L4 recognises potential opportunities"),
    (RJ, "4", "With two practices competing for my time and a funder demanding figures, I decided to pause new referrals at one practice for a month - unpopular, but it protected existing clients.",
     "L4 difficult decision with competing priorities"),
    (RJ, "4", "Before recommending we close the Thursday group, I looked at it from the members', volunteers', church hall's and funder's points of view and sketched what would likely happen to each.",
     "L4 range of perspectives; probable outcomes"),
    (RJ, "4", "There wasn't a right answer, but I decided not to pass a client's disclosure to her GP because she had capacity and the risk was only to herself; I ran it past our safeguarding lead and recorded why.",
     "HARD: modest wording; L4 difficult decision under ambiguity"),
    (RJ, "4", "I flagged that publicising our new foodbank partnership could damage relations with the existing foodbank we relied on, and we agreed a joint announcement instead.",
     "L4 evaluates external impact on stakeholders / reputational risk"),
    (RJ, "4", "When lockdown hit I had one day to decide which of 60 clients to phone first with very little information, so I set simple risk criteria, made the calls, and revisited the list weekly.",
     "L4 decisions despite ambiguity and competing priorities"),
    (RJ, "4", "- recommended against expanding to a fourth practice after modelling the impact on waiting times, staff wellbeing and partner relationships, and presented each scenario to the Chief Officer",
     "L4 considers probable outcomes from several perspectives"),
    (RJ, "N", "I referred him to the weight management programme straight away without really thinking about whether he could get there.",
     "NEG jumps to action without thinking through implications"),
    (RJ, "N", "I'll often spend an afternoon perfecting the formatting of a report while the actual recommendations still aren't written.",
     "NEG excessive emphasis on detail"),
    (RJ, "N", "I pass most queries up to my manager because I'd rather not make the wrong call.",
     "NEG escalates unnecessarily"),

    # --------------------------------------------------- Networking & Relationship Building
    (NR, "1", "I try to say good morning to everyone in the practice and ask how their weekend was.",
     "L1 maintains positive relationships; concern for others"),
    (NR, "1", "In my first month I made a list of the people I'd need - practice manager, the two nurses, the welfare rights officer - and introduced myself to each.",
     "L1 identifies key individuals for personal network"),
    (NR, "1", "I learned that Dr Mackay prefers a quick word between patients to an email, so that's how I update her.",
     "L1 understands preferences of key contacts"),
    (NR, "1", "When the practice nurse was off after her operation I sent a card and checked how she was when she got back.",
     "L1 demonstrates concern for others"),
    (NR, "1", "At a meeting where I felt my clients' views weren't being considered, I said so calmly and explained why.",
     "L1 expresses opinions appropriately"),
    (NR, "1", "I have cultivated an extensive strategic network of key partners, such as the practice receptionist and the local foodbank coordinator.",
     "HARD: grand words; identifying a few key individuals (L1)"),
    (NR, "1", "I keep the numbers of my most useful contacts - the CAB adviser, the housing officer, the carers centre - on a card in my diary.",
     "L1 identifies key individuals"),
    (NR, "1", "I'm careful to keep small promises to practice staff, like getting back to them the same day, because that's how they've come to trust me.",
     "L1 fosters trust with key contacts"),
    (NR, "1", "I send thank-you cards to groups that take my referrals.",
     "L1 maintains positive relationships"),
    (NR, "1", "I make a point of being friendly with the reception staff, as they're usually the first people my clients speak to.",
     "L1 positive relationships with key people"),
    (NR, "2", "Every quarter I meet the community mental health team lead for a coffee to talk about what's working with referrals.",
     "L2 meets key individuals regularly"),
    (NR, "2", "I asked the receptionists what they hear from patients about loneliness, and used what they told me to word our poster.",
     "L2 elicits views and uses insight"),
    (NR, "2", "At a health fair I found out the housing association had a tenancy sustainment team I'd never heard of, so I got in touch and now refer to them.",
     "L2 recognises opportunity to widen network"),
    (NR, "2", "With the faith groups in my network I'm informal and go to their coffee mornings, whereas with the council I stick to formal meetings and minutes.",
     "L2 adapts to differences within network"),
    (NR, "2", "I asked the GPs to explain, from their side, why they were referring so few older men, and it turned out they weren't sure what we offered.",
     "L2 sees issues through the eyes of others"),
    (NR, "2", "I joined the local third sector mental health forum mainly for the free lunch, but came away with five new contacts and now go every month.",
     "HARD: self-deprecating; L2 widens network and keeps contact regular"),
    (NR, "2", "I phone each of my main referral partners at least once a month, even when there's nothing urgent, just to keep in touch.",
     "L2 speaks regularly with key individuals"),
    (NR, "2", "Our service had no contacts at the Gypsy/Traveller site, so I started going along to the site liaison meeting.",
     "L2 recognises opportunity to develop wider network"),
    (NR, "2", "I've learned that the mosque committee decides things collectively, so I present ideas to the whole committee rather than just the chair.",
     "L2 understands how people in network differ and adapts"),
    (NR, "3", "At our partners' forum I brought in round-robin updates so the smaller groups, who usually stayed quiet, got equal airtime.",
     "L3 creates opportunities for others to speak out"),
    (NR, "3", "Because I'd built up a good relationship with the housing officer over two years, I got an emergency repair for a client within 48 hours when the formal route had stalled.",
     "L3 calls on relationships to solve problems"),
    (NR, "3", "I told a long-standing partner whose group we refer to a lot that several clients had felt unwelcome there; it was a hard conversation but they changed how they greet newcomers.",
     "L3 challenges network constructively with positive outcome"),
    (NR, "3", "I'm on first-name terms with most of the key people locally and it helps - when the foodbank ran out of fresh stock, one call to the community garden sorted it for the week.",
     "HARD: modest wording; L3 calls on relationships to solve a problem"),
    (NR, "3", "Our relationship with one practice went through a rough patch after a complaint, but because of the trust we'd built I could sit down with the practice manager and get things back on track.",
     "L3 strong and resilient relationships"),
    (NR, "3", "I invited people with lived experience of our service to speak directly at the steering group, and helped them prepare.",
     "L3 creates opportunities for others to be heard"),
    (NR, "3", "I challenged our NHS partners, respectfully, about the short notice they gave for meetings, and we've now agreed a schedule for the year.",
     "L3 challenges contacts constructively"),
    (NR, "3", "No dentist would register a client of mine with no fixed address, so I called on contacts in the HSCP and a dental practice I'd worked with before to get her seen.",
     "L3 uses relationships to break down barriers"),
    (NR, "3", "I've kept close links with the recovery community for five years, across three different jobs, and we've come through some real disagreements together.",
     "L3 strong and resilient relationships with stakeholders"),
    (NR, "3", "In team meetings I'm honest when I disagree, but I make sure quieter colleagues get asked for their view before anything is decided.",
     "L3 honest; creates opportunities for others to be heard"),
    (NR, "4", "Colleagues from other teams regularly ask me to introduce them to people in primary care; last year I brokered introductions for the youth team, the employability project and the arts programme.",
     "L4 others ask for help using your network"),
    (NR, "4", "I have working relationships with over 80 organisations across health, housing, education and the third sector, and that network is the backbone of how I work.",
     "L4 wide and productive relationships essential to role"),
    (NR, "4", "As chair of the local network I set a ground rule that every partner, however small, gets heard, and I stepped in when a larger charity repeatedly dismissed a volunteer-led group.",
     "L4 creates culture where people are heard and disrespect is not tolerated"),
    (NR, "4", "I passed a major funding contact on to a smaller partner because their project was a better fit, even though it weakened our own bid.",
     "L4 selflessness in relationship building"),
    (NR, "4", "People seem to come to me when they're stuck - the council's anti-poverty officer asked me last month for a way into the GP practices, and I set up three meetings for her.",
     "HARD: modest wording; L4 others ask for assistance using network"),
    (NR, "4", "I refused to share confidential client details a partner asked for as a 'favour', explained why, and our relationship is stronger for it.",
     "L4 relationship building characterised by integrity"),
    (NR, "4", "I set up a quarterly link workers and partners breakfast that now has 40 regular attendees from the NHS, council and third sector, and it's where most joint projects start.",
     "L4 develops wide and productive relationships"),
    (NR, "4", "The practice managers across the cluster now use me as their route into the third sector, and I regularly connect them with groups that can take on patients they're worried about.",
     "L4 others ask to use your network"),
    (NR, "4", "When I left my last post I introduced my successor personally to each of my contacts so the organisation didn't lose the relationships.",
     "L4 selflessness and concern for organisational success"),
    (NR, "4", "My network runs from the Scottish Government's social prescribing lead to the woman who runs the knit and natter in the church hall, and I use both ends of it every week.",
     "L4 wide and productive relationships"),
    (NR, "N", "I don't see much point going to network meetings unless I need something from the people there.",
     "NEG only talks to others when they want something"),
    (NR, "N", "I've been told I come across as cold on the phone to other agencies, which I think is just me being efficient.",
     "NEG appears cold or unfriendly"),
    (NR, "N", "I tend to keep my contacts to myself - I've spent years building them and don't want other workers overloading them.",
     "NEG protects own work area"),

    # ------------------------------------------------------------ Delivering Quality Services
    (DQ, "1", "I complete my case notes on the day of each appointment and have never missed a monthly data return.",
     "L1 accurate work to agreed timescales"),
    (DQ, "1", "I plan my week every Monday, blocking out clinic time, home visits and admin.",
     "L1 plans and organises own workload"),
    (DQ, "1", "When I realised the evaluation report would be a week late because one practice hadn't sent its data, I told my manager straight away.",
     "L1 gives early notice of timescale slipping"),
    (DQ, "1", "I didn't know how to set the survey up in MS Forms, so I asked the admin team for help rather than struggling on.",
     "L1 seeks help when needed"),
    (DQ, "1", "All my outcome forms were up to date last quarter and the audit didn't pick up a single error.",
     "L1 accurate, high quality work"),
    (DQ, "1", "I consistently deliver operational excellence and world-class standards by making sure my diary is current and my timesheets are submitted every Friday.",
     "HARD: grand words; routine organisation of own work (L1)"),
    (DQ, "1", "When the clinic room was double-booked I didn't cancel - I saw the client in the practice garden and booked another room for next time.",
     "L1 deals with challenge positively"),
    (DQ, "1", "- all referrals acknowledged within 2 working days (target is 5)",
     "L1 carries out responsibilities efficiently"),
    (DQ, "1", "I double-check client addresses and dates of birth against EMIS before anything goes into our database.",
     "L1 accurate work"),
    (DQ, "1", "I warned the funder a month in advance that the cookery course would cost more than planned because the venue had put its hire charge up.",
     "L1 gives early notice of costs exceeding expectations"),
    (DQ, "2", "I suggested a simple text reminder the day before appointments, which cut our DNA rate from about 25% to 12%.",
     "L2 initiative improving the way tasks are done"),
    (DQ, "2", "I drew up a Gantt chart for the six-week Get Moving programme so the venue, volunteers and materials were all ready in time.",
     "L2 applies planning techniques"),
    (DQ, "2", "Knowing the summer holidays would hit volunteer numbers, I recruited and trained two extra volunteers in May so the group didn't have to close.",
     "L2 anticipates problems to ensure delivery"),
    (DQ, "2", "I redesigned our paper referral form so GPs only had to tick boxes, and referrals now arrive with the information we need.",
     "L2 improves the way tasks are carried out"),
    (DQ, "2", "I used a simple project plan with milestones and a risk list for the community garden launch, and we opened on the date we'd promised.",
     "L2 applies project management principles"),
    (DQ, "2", "Small thing, but I colour-coded the shared calendar by practice, and people stopped turning up at the wrong surgery.",
     "HARD: modest wording; L2 initiative improving tasks"),
    (DQ, "2", "Ahead of winter I booked venues and ordered the warm packs in September to avoid the shortages we'd had the year before.",
     "L2 schedules work and anticipates problems"),
    (DQ, "2", "I set up a tracker for our small grants applications with deadlines and owners, and we didn't miss any of the five rounds this year.",
     "L2 plans and schedules work to deliver on time"),
    (DQ, "2", "Suggested merging our two newsletters into one - team agreed, saves about a day a month",
     "L2 makes suggestions to improve tasks"),
    (DQ, "2", "Broke the volunteer recruitment drive into stages with clear deadlines and a checklist, and reviewed progress weekly",
     "L2 planning/project management principles"),
    (DQ, "3", "I scoped, budgeted and delivered a 12-week cooking-on-a-budget course across three venues; it came in £200 under budget and 41 of 48 participants completed.",
     "L3 scopes, plans and manages project to time, quality and cost"),
    (DQ, "3", "I hold a caseload of around 60 people at very different stages - first contact, active support, review and closure - and use a RAG-rated tracker to keep on top of each.",
     "L3 manages multiple client portfolios at varying stages"),
    (DQ, "3", "Over this appraisal period I've reviewed every quarter which referrals led nowhere, and as a result dropped two groups from our directory and added three.",
     "L3 reviews regularly and implements changes"),
    (DQ, "3", "It wasn't enough to say people turned up; I made sure the walking group evaluation showed changes in wellbeing scores, which the practice then used in its own report.",
     "L3 ensures final outcomes deliver impact"),
    (DQ, "3", "I've run a few projects now - the carers' pamper day, the digital skills drop-in, the winter coat swap - and they've all come in on time and within the small budgets we had.",
     "HARD: modest wording; L3 track record of delivery to time and cost"),
    (DQ, "3", "At the end of each group cycle I sit down with the volunteers, go through what worked and what didn't, and change the next programme to match.",
     "L3 reviews how things are done and implements changes"),
    (DQ, "3", "I managed the move of our client records to a new system, planning it around clinic days, and we lost no records and no appointments.",
     "L3 plans and manages a project and resources"),
    (DQ, "3", "I juggle my GP caseload, the men's health project and the Gateway rota, each at a different stage, without any of them slipping.",
     "L3 manages multiple tasks at varying stages"),
    (DQ, "3", "I insisted we follow clients up three months after closure, because without that we didn't know whether the links we made actually lasted.",
     "L3 ensures outcomes deliver impact"),
    (DQ, "3", "Delivered the £15k Community Wellbeing Fund round for our area - set the timetable, ran assessment panels and paid all 22 grants within the financial year",
     "L3 manages project/resources to time and cost"),
    (DQ, "4", "I led the roll-out of link workers to five new practices at once, each with different IT systems, premises and expectations; working from one implementation plan with practice-specific risks, all five were taking referrals within the agreed 10 weeks and on budget.",
     "L4 delivers complex multi-faceted assignment to time and cost"),
    (DQ, "4", "When our funding was cut by 20% mid-year, I shifted staff time towards the practices with the highest need using a risk matrix the board signed off.",
     "L4 directs resources on priorities using risk management"),
    (DQ, "4", "I designed the outcome-recording approach that all link worker and Gateway staff across the organisation now use, replacing four different spreadsheets.",
     "L4 new ways of working adopted across the organisation"),
    (DQ, "4", "I managed our switch to phone and video working for a team of eight within a fortnight, with new risk assessments, lone working procedures and data protection checks.",
     "L4 complex assignment with risk management"),
    (DQ, "4", "I sort of fell into running the whole winter hardship programme - four funders, six partner organisations, over 900 households - but it was delivered on time and every penny was accounted for.",
     "HARD: modest wording; L4 complex multi-faceted delivery"),
    (DQ, "4", "I kept a live risk log for the HSCP-wide social prescribing pilot and used it to move two staff between sites when one practice's demand doubled.",
     "L4 risk management to direct resources"),
    (DQ, "4", "I introduced a 'what matters to you' conversation framework, piloted it in my practice, and then rolled it out to every frontline team in the organisation.",
     "L4 implements improved ways of working organisation-wide"),
    (DQ, "4", "Balancing a lottery project, a Scottish Government contract and core HSCP funding with different reporting rules, I built one monitoring system that met all three and freed up a day a week.",
     "L4 delivery in complex, multi-faceted assignment"),
    (DQ, "4", "After a risk review showed volunteers were dealing with more distress than before, I redirected our volunteer training budget into mental health first aid.",
     "L4 informed decision on priorities to direct resources"),
    (DQ, "4", "- led the switch to digital referrals from all 14 GP practices we cover; lost referrals went from roughly 1 in 20 to zero",
     "L4 new and improved way of working across organisation"),
    (DQ, "N", "The referral system is a nightmare and I've said so at every team meeting, but I wouldn't know how to fix it.",
     "NEG complains without suggesting solutions"),
    (DQ, "N", "My monthly reports are usually a week or two late but the info definately gets there in the end.",
     "NEG consistently goes over time"),
    (DQ, "N", "I do what's in my job description, but staying on for the Saturday event isn't something I'd do.",
     "NEG avoids going the extra mile for the team"),

    # ----------------------------------------------------------- Customer & Stakeholder Focus
    (CS, "1", "Clients often tell me they appreciate that I greet them by name and make them a cuppa before we start.",
     "L1 friendly professional service"),
    (CS, "1", "My main stakeholders are the patients, the GPs and nurses who refer to me, and the community groups I refer on to.",
     "L1 knows who the key stakeholders are"),
    (CS, "1", "When a client complained that the lunch club hadn't phoned her back, I chased it myself until she had a place.",
     "L1 takes ownership of complaint to resolution"),
    (CS, "1", "If a tribunal date moves I ring the client that day so they're not left wondering.",
     "L1 keeps customers up to date on delays"),
    (CS, "1", "At first appointments I listen carefully and sum up what matters most to the person, so they know I've heard it.",
     "L1 actively listens and shows understanding of needs"),
    (CS, "1", "A GP told me my discharge summaries were too brief; I thanked her and started adding the agreed next steps.",
     "L1 accepts feedback"),
    (CS, "1", "I have a fair idea of what new mums in the area tend to be struggling with, so I ask early on about childcare, money and sleep.",
     "L1 knowledge to predict needs and ask the right questions"),
    (CS, "1", "I am deeply committed to delivering an exceptional, transformational customer journey, always returning calls within 24 hours.",
     "HARD: grand words; prompt service (L1)"),
    (CS, "1", "- returned every voicemail the same day during the cost of living surge",
     "L1 friendly, prompt service"),
    (CS, "1", "A carer's enquiry reached me by mistake; rather than bounce it back I made sure it got to the right person and let her know who'd be calling.",
     "L1 takes ownership of enquiry"),
    (CS, "2", "After each group finishes I hand out a two-question feedback card, and last term's comments led us to add a quiet room.",
     "L2 proactively seeks feedback to improve service"),
    (CS, "2", "A client was adamant she wouldn't go to 'a group full of old folk'; I asked what she'd enjoyed when she was younger, and she agreed to try a dance class.",
     "L2 listens to objections, asks the right questions to move forward"),
    (CS, "2", "The Bellsmyre practice felt our monthly report told them nothing useful, so I went through it line by line with the manager and added the age breakdown she'd asked for.",
     "L2 concern for stakeholder satisfaction; addresses issues"),
    (CS, "2", "When a family was unhappy with how long the housing referral was taking, I phoned the housing officer twice, escalated to her team lead and kept them updated every few days.",
     "L2 does all that can reasonably be done to address dissatisfaction"),
    (CS, "2", "I phoned a sample of clients three months after we'd closed their case to ask what had and hadn't helped.",
     "L2 proactively seeks feedback"),
    (CS, "2", "I'm not sure this counts, but I've started asking clients 'what would have made today better?' and changed a few things because of it, like offering earlier slots.",
     "HARD: modest wording; L2 seeks feedback to improve"),
    (CS, "2", "I try to imagine walking into a GP surgery to talk about money worries, so I always see people in a side room, never at the desk.",
     "L2 puts self in their shoes"),
    (CS, "2", "A volunteer group refused to take people with mental health problems; I met them, heard their worries about safety, and arranged training and a named contact, after which they agreed.",
     "L2 listens to objections and addresses them"),
    (CS, "2", "Three months is a long wait for a befriender, so for one very unhappy client I arranged telephone befriending and a lunch club place to tide her over.",
     "L2 does what can reasonably be done when customer dissatisfied"),
    (CS, "2", "I ran a short online survey of practice staff to find out what they found confusing about our referal process.",
     "L2 proactively seeks stakeholder feedback"),
    (CS, "3", "After several clients said our first letter felt 'official and scary', I reviewed all our template letters with two service users and rewrote them in plain, warmer language.",
     "L3 analyses feedback and reviews protocols"),
    (CS, "3", "Many of the people I see are juggling zero-hours work, caring and debt, so I offer early-morning, evening and phone appointments.",
     "L3 deep understanding of needs; accessible"),
    (CS, "3", "Before we changed the drop-in to appointment only, I expected some regulars would feel shut out, so I met them first, explained why, and kept a short drop-in slot on Fridays.",
     "L3 anticipates stakeholder concerns and addresses them up front"),
    (CS, "3", "Situation: feedback showed men weren't returning after a first appointment. Action: I went through every comment and found they felt rushed, so we brought in a longer first session and a follow-up call. Result: return visits rose from 40% to 70%.",
     "L3 analyses and acts on feedback"),
    (CS, "3", "I spend time getting to know what life's really like on the estates I cover - the buses, where to get cheap food, which services have let people down - and it shapes everything I suggest.",
     "HARD: modest wording; L3 deep understanding of stakeholder challenges"),
    (CS, "3", "Every client gets my direct work mobile and I keep a fixed clinic slot in each surgery, so people aren't bounced round the system.",
     "L3 accessible; focused on specific needs"),
    (CS, "3", "I guessed GPs would worry our new pathway meant extra work, so I built the referral to take under a minute and told them that before they could ask.",
     "L3 anticipates stakeholder concerns"),
    (CS, "3", "I went through a year of complaints and compliments with my manager, and we changed our closure process because several people said they'd felt 'dropped'.",
     "L3 analyses feedback and adapts protocols"),
    (CS, "3", "For clients with English as a second language I book interpreters in advance, and I got our leaflets translated into the five most common languages in the practice.",
     "L3 focuses on specific needs; accessibility"),
    (CS, "3", "I know what practice staff are up against - ten-minute appointments, phones ringing off the hook - so I keep my updates to GPs short and give them only what changes their decisions.",
     "L3 deep understanding of stakeholder challenges"),
    (CS, "4", "I built client and partner feedback into every team meeting and quarterly plan, so any change we make to the service now starts from what people have told us.",
     "L4 creates climate where feedback is essential improvement data"),
    (CS, "4", "In a report to the HSCP I challenged the assumption that low uptake meant low need, showing it reflected services designed for people with cars and internet.",
     "L4 insight that challenges current perceptions"),
    (CS, "4", "I had to tell a long-standing partner we'd stop referring to their group over safeguarding concerns; I did it face to face, explained the reasons, and we still work together on other things.",
     "L4 delivers difficult message, maintaining relationship"),
    (CS, "4", "When the practice wanted to restrict link worker appointments to frequent attenders, I set out the likely consequences for carers and people with undiagnosed conditions, and we agreed broader criteria.",
     "L4 understands wider issues and consequences of decisions"),
    (CS, "4", "I did have to tell a GP that his patients felt 'fobbed off' by the way they were being referred. Not an easy chat, but he took it well and we still get on.",
     "HARD: modest wording; L4 difficult message delivered professionally"),
    (CS, "4", "I set up a service user reference group that reviews our performance data twice a year, and its recommendations go straight to the board.",
     "L4 climate where stakeholder feedback drives improvement"),
    (CS, "4", "I helped the steering group see that the rise in foodbank referrals was driven by Universal Credit deductions, not 'poor budgeting', which changed how partners talked about our clients.",
     "L4 insight challenging current perceptions"),
    (CS, "4", "Before we moved clinics online, I thought through the knock-on effects for older patients, people without data, the reception team and our volunteers, and kept a face-to-face option.",
     "L4 thinks about consequences and wider issues for stakeholders"),
    (CS, "4", "I advised the practice partners that cutting the link worker's phone appointments would save money now but push more crisis visits back onto GPs, and set out the likely numbers.",
     "L4 wider issues and consequences; challenging feedback"),
    (CS, "4", "I told the funder candidly that our first-year targets had been unrealistic, explained what we'd learned, and they renewed the grant.",
     "L4 difficult message delivered while maintaining relationship"),
    (CS, "N", "I found it hard to stay objective with one client I'd known for years; we'd become more like friends and I stopped challenging her.",
     "NEG overly familiar, losing objectivity"),
    (CS, "N", "I use the same referral pack and script for everyone, it keeps things consistent.",
     "NEG uniform approach to all customers"),
    (CS, "N", "If the practice disagrees with how I do things I generally just leave it - we agree to disagree.",
     "NEG does not attempt to influence; agreeing to disagree"),
]

# Multi-label texts: (text, [(competency, level, note), ...])
MULTI: list[tuple[str, list[tuple[str, str, str]]]] = [
    ("When facilitating a tense public meeting about the closure of a day centre, I used ground rules, paired discussions and a 'parking wall' for anger, so even the angriest residents felt heard and stayed to the end.",
     [(SA, "4", "L4 sophisticated techniques people are comfortable with"),
      (NR, "3", "L3 creates opportunities for others to speak out and be heard")]),
    ("Before proposing changes to the lunch club, I spent a whole session asking the regulars what they'd keep and what they'd drop, and built the plan around their answers.",
     [(NR, "2", "L2 elicits views and makes use of insight"),
      (CS, "2", "L2 proactively seeks feedback to improve the service")]),
    ("I nominated our admin officer for the staff award after she rebuilt the referral database, and told her exactly which of her skills had made the difference, which visibly lifted her confidence.",
     [(TW, "3", "L3 credits others who have performed well"),
      (LSD, "3", "L3 builds self-confidence by affirming strengths")]),
    ("A client refusing to see the debt adviser kept saying 'they'll just judge me'; I realised the real worry was her partner finding out, so I arranged a phone appointment while he was at work.",
     [(RJ, "2", "L2 identifies the underlying cause"),
      (CS, "2", "L2 listens to objections and addresses them")]),
    ("I reviewed six months of feedback and referral outcomes, found people sent to exercise classes rarely went, and changed our approach so everyone now gets a supported first session.",
     [(DQ, "3", "L3 reviews and implements changes"),
      (CS, "3", "L3 analyses and acts on feedback")]),
    ("I led a cross-organisation project with the HSCP and four charities to build a shared directory of services; it was delivered on time over nine months and every team now uses it.",
     [(TW, "4", "L4 initiates cross-boundary project"),
      (DQ, "4", "L4 complex delivery; new way of working across organisation")]),
    ("I sent round my notes from the Money Advice Scotland training so the rest of the team could use them with their own clients.",
     [(TW, "1", "L1 shares relevant information"),
      (LSD, "1", "L1 generous in sharing knowledge")]),
    ("I had to tell a distressed mum that the respite place she'd counted on had been withdrawn; I stayed calm when she shouted, let her vent, and we ended up planning next steps together.",
     [(SA, "3", "L3 manages own emotions in difficult situation"),
      (CS, "4", "L4 delivers difficult message maintaining relationship")]),
    ("On a tangled case involving housing, addictions and child protection, I rang the people I trust in each service and pulled their views together before deciding the next step.",
     [(RJ, "3", "L3 solicits input and links information to inform judgement"),
      (NR, "3", "L3 calls on relationships to solve problems")]),
    ("I wrote a step-by-step guide to our new case management system and ran two training sessions for colleagues, which cut the number of queries to the admin team.",
     [(LSD, "2", "L2 formal on-the-job training"),
      (DQ, "2", "L2 initiative improving how tasks are done")]),
    ("I told the practice manager, calmly, that I felt sidelined when link worker updates were dropped from the agenda, and she put them back on.",
     [(NR, "1", "L1 expresses feelings appropriately"),
      (SA, "2", "L2 challenges constructively and with confidence")]),
    ("I recommended we hand the carers' contract to a partner charity better placed to deliver it, even though it cost our own team a post, because it was right for carers and for the partnership.",
     [(RJ, "4", "L4 difficult decision; critically evaluates external impact"),
      (TW, "4", "L4 supports decision undercutting own team's short-term interests")]),
    ("I always ask carers at the start how much time they've got, because I know they're usually juggling someone else's needs.",
     [(CS, "1", "L1 predicts needs and asks the right questions"),
      (SA, "1", "L1 seeks to understand needs of people with caring responsibilities")]),
    ("Each morning I list the day's tasks, put anything with a client deadline at the top, and tick them off as I go.",
     [(DQ, "1", "L1 plans and prioritises own workload"),
      (RJ, "1", "L1 prioritises tasks to meet needs of others")]),
    ("Workers from other projects ask me to link them into my contacts, and I coach them on how to build their own relationships with GP practices rather than relying on mine.",
     [(NR, "4", "L4 others ask for help using your network"),
      (LSD, "4", "L4 supports and coaches others outside immediate team")]),
    ("When the new receptionist was being blamed for lost referrals, I pointed out she'd only been there a week and sat with her to show her how the inbox works.",
     [(TW, "2", "L2 challenges undue criticism of a colleague"),
      (LSD, "1", "L1 show & tell for newer staff")]),
    ("Before launching the men's group I compared SIMD data, GP consultation patterns and what local men told us in a survey, and set times and venue around shift work and the football.",
     [(RJ, "3", "L3 links information from within and outwith"),
      (CS, "3", "L3 deep understanding of specific needs")]),
    ("I use role-play, gentle humour and reflective questions when supervising volunteers, adjusting to each person, and several have said it's the first time feedback hasn't felt like criticism.",
     [(SA, "4", "L4 range of techniques others feel comfortable with"),
      (LSD, "3", "L3 developmental feedback, constructive")]),
    ("When a client's son accused me of 'doing nothing', I kept my tone even, walked him through every call I'd made, and agreed a weekly update so he'd know where things stood.",
     [(SA, "3", "L3 manages own emotions under criticism"),
      (CS, "1", "L1 keeps customers up to date on progress")]),
]

# NONE units: evidence nothing (motivation, biography, generic claims, hypotheticals,
# things others did, job-history/qualification listings, context, duty lists).
NONE_UNITS: list[tuple[str, str]] = [
    ("I would love the opportunity to join your Wellbeing & Tackling Inequalities Team.", "motivation"),
    ("Social prescribing is something I feel really passionate about.", "motivation"),
    ("This role feels like the natural next step in my career.", "motivation"),
    ("I was so excited to see this post advertised as it brings together everything I enjoy about my work.", "motivation"),
    ("Working in West Dunbartonshire, where my family has lived for generations, would mean a great deal to me.", "motivation/biography"),
    ("I'm applying because I want to be part of a service that sees people as more than their diagnosis.", "motivation"),
    ("Being based within GP practices really appeals to me.", "motivation"),
    ("I have always been interested in why some communities thrive and others don't.", "motivation/interest"),
    ("I grew up in Clydebank and still live there with my two children.", "biography"),
    ("I left school at 16 and went back into education as a mature student in my thirties.", "biography"),
    ("My mum cared for my gran for ten years, so I've seen that world up close.", "biography; someone else's caring"),
    ("I have lived experience of depression and am open about this.", "biography"),
    ("Outside work I play fiddle in a ceilidh band and walk my dog in the Kilpatrick Hills.", "biography/hobbies"),
    ("I am a hard-working, reliable and enthusiastic person.", "generic claim"),
    ("I'm an excellent communicator and a really good listener.", "generic claim"),
    ("I pride myself on being a real people person.", "generic claim"),
    ("I believe I have all the skills and experience needed for this role.", "generic claim"),
    ("Teamwork is really important to me.", "generic value statement"),
    ("I am highly organised and thrive under pressure.", "generic claim"),
    ("I am non-judgemental and treat everyone with dignity and respect.", "HARD: generic claim, no behaviour"),
    ("I always go above and beyond for the people I support.", "generic claim"),
    ("I'm known as someone who gets things done.", "generic claim"),
    ("I consider myself a strong advocate for community empowerment.", "HARD: echoes the advert; generic claim"),
    ("If appointed, I would build strong links with every GP practice in the cluster.", "hypothetical"),
    ("I would make sure every client felt listened to from their very first appointment.", "hypothetical"),
    ("In this role I'd like to set up a peer support group for carers.", "future intention"),
    ("Should a client disclose harm, I would follow the adult protection procedure and inform my manager immediately.", "HARD: hypothetical procedure"),
    ("My plan for the first 100 days would be to meet every practice manager and map local resources.", "hypothetical"),
    ("I would hope to bring my community development experience to the team.", "hypothetical"),
    ("My manager redesigned the rota so that we each had one admin day a week.", "someone else did it"),
    ("Our team won a Scottish Social Services Council award in 2019.", "team achievement, no personal behaviour"),
    ("The practice brought in a new triage system last year which reduced waiting times.", "someone else did it"),
    ("My colleague set up a very successful men's shed in the village.", "someone else did it"),
    ("The HSCP funded two extra link worker posts in 2020.", "context / others"),
    ("Our chief officer led the merger with the neighbouring CVS, which doubled the size of the organisation.", "someone else did it"),
    ("2016-2019: Support Worker, Alzheimer Scotland, Dumbarton", "job-history listing"),
    ("Previously I've worked as a care assistant, a retail supervisor and a youth worker.", "job-history listing"),
    ("I have been in my current post as Befriending Coordinator since March 2018.", "job-history"),
    ("- Volunteer, Clydebank Foodbank (2015 - present)", "job-history listing"),
    ("My current role is Welfare Rights Assistant with a housing association covering three estates.", "job-history"),
    ("Responsibilities included managing a caseload, attending MDT meetings and writing reports.", "HARD: duty list, no evidence of how"),
    ("My role involves liaising with GPs, third sector organisations and the council on a daily basis.", "HARD: duty description"),
    ("I hold an HNC in Social Care and am working towards a BA in Community Learning and Development.", "qualifications"),
    ("Training completed: ASIST, Scottish Mental Health First Aid, Adult Support and Protection level 2", "training list"),
    ("I have a full clean driving licence and access to a car.", "practical requirement"),
    ("Social isolation is said to be as harmful to health as smoking fifteen cigarettes a day.", "general knowledge claim"),
    ("The Health and Social Care Standards put the person at the centre of their care.", "general statement"),
    ("I understand that people living in areas of deprivation often face multiple barriers to good health.", "HARD: generic knowledge claim, no behaviour"),
    ("I am fully aware of the importance of confidentiality and GDPR.", "generic knowledge claim"),
    ("Community development is about empowering people to take control of their own lives.", "opinion"),
    ("This year has been a busy one with lots of changes.", "appraisal filler"),
    ("My objectives for next year are set out in the attached plan.", "appraisal filler"),
    ("I was on maternity leave from June to December.", "appraisal context"),
    ("I feel I've settled in well and I'm really enjoying the role.", "appraisal filler"),
    ("Overall I'd rate myself as meeting expectations in most areas.", "self-rating without evidence"),
    ("Thank you for taking the time to consider my application.", "closing"),
    ("Please see my CV for further details of my employment history.", "pointer"),
    ("I'm looking forward to the opportunity to discuss this further at interview.", "closing"),
    ("The pandemic changed everything about how the service ran.", "context"),
    ("Our practice has around 9,000 patients, many living in the most deprived datazones in Scotland.", "context"),
]


def build_rows() -> list[dict]:
    """All rows, grouped by unit; each unit is a list of row dicts sharing one text."""
    units: list[list[dict]] = []
    for comp, level, text, note in SINGLE:
        if level == "N":
            units.append([dict(text=text, competency=comp, level="", polarity="negative", note=note)])
        else:
            units.append([dict(text=text, competency=comp, level=level, polarity="positive", note=note)])
    for text, labels in MULTI:
        units.append([dict(text=text, competency=c, level=lv, polarity="positive", note=n + " (multi-label)")
                      for c, lv, n in labels])
    for text, note in NONE_UNITS:
        units.append([dict(text=text, competency=NONE, level="", polarity="positive", note=note)])
    return units


def stratum(unit: list[dict]) -> str:
    if len(unit) > 1:
        return "MULTI"
    r = unit[0]
    if r["competency"] == NONE:
        return "NONE"
    if r["polarity"] == "negative":
        return "NEG"  # few per competency; pooled so the test split gets a spread
    return f"{r['competency']}|{r['level']}"


def split(units: list[list[dict]]) -> tuple[list[list[dict]], list[list[dict]]]:
    """Stratified, seeded split. Each stratum gets floor(n * TEST_FRACTION) test units (at least
    one); the remaining test places, up to round(total * TEST_FRACTION), go to the strata with the
    largest fractional remainders (ties broken by the seeded RNG)."""
    rng = random.Random(SEED)
    groups: dict[str, list[list[dict]]] = defaultdict(list)
    for u in units:
        groups[stratum(u)].append(u)
    keys = sorted(groups)
    for key in keys:
        g = groups[key]
        rng.shuffle(g)
        if key == "NEG":  # interleave competencies so the test negatives span several of them
            by_comp: dict[str, list] = defaultdict(list)
            for u in g:
                by_comp[u[0]["competency"]].append(u)
            groups[key] = [by_comp[c][i] for i in range(max(map(len, by_comp.values())))
                           for c in sorted(by_comp) if i < len(by_comp[c])]
    exact = {k: len(groups[k]) * TEST_FRACTION for k in keys}
    n_test = {k: max(1, int(exact[k])) for k in keys}
    target = round(len(units) * TEST_FRACTION)
    tiebreak = {k: rng.random() for k in keys}
    for k in sorted(keys, key=lambda k: (-(exact[k] - int(exact[k])), tiebreak[k])):
        if sum(n_test.values()) >= target:
            break
        n_test[k] += 1
    dev, test = [], []
    for k in keys:
        test += groups[k][:n_test[k]]
        dev += groups[k][n_test[k]:]
    return dev, test


def validate(units: list[list[dict]]) -> None:
    seen_pairs = set()
    texts = set()
    for u in units:
        t = u[0]["text"]
        if t in texts:
            sys.exit(f"duplicate text across units: {t}")
        texts.add(t)
        for r in u:
            key = (r["text"], r["competency"])
            if key in seen_pairs:
                sys.exit(f"duplicate (text, competency): {key}")
            seen_pairs.add(key)
            if r["competency"] not in {TW, LSD, SA, RJ, NR, DQ, CS, NONE}:
                sys.exit(f"bad competency {r['competency']}")
            if r["competency"] == NONE or r["polarity"] == "negative":
                assert r["level"] == ""
            else:
                assert r["level"] in {"1", "2", "3", "4"}, r
        n = len(t.split())
        if not 6 <= n <= 45:
            sys.exit(f"length {n} out of range: {t}")


def write(path: Path, units: list[list[dict]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [r for u in units for r in u]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=["text", "competency", "level", "polarity", "note"])
        w.writeheader()
        w.writerows(rows)


def summary(name: str, units: list[list[dict]]) -> str:
    rows = [r for u in units for r in u]
    lines = [f"{name}: units={len(units)} rows={len(rows)} "
             f"none={sum(r['competency'] == NONE for r in rows)} "
             f"negative={sum(r['polarity'] == 'negative' for r in rows)} "
             f"multi_units={sum(len(u) > 1 for u in units)}"]
    lines.append("  levels: " + str(sorted(Counter(r["level"] for r in rows if r["level"]).items())))
    cell = Counter((r["competency"], r["level"] or r["polarity"][:3]) for r in rows if r["competency"] != NONE)
    for comp in (TW, LSD, SA, RJ, NR, DQ, CS):
        lines.append(f"  {comp:42s} " + " ".join(f"{k}:{cell[(comp, k)]}" for k in ("1", "2", "3", "4", "neg")))
    return "\n".join(lines)


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    units = build_rows()
    later = dev_only.read(FRAMEWORK_ID)
    validate(units + later)
    dev, test = split(units)
    order = random.Random(SEED + 1)
    order.shuffle(dev)  # file order is seeded-random (multi-label rows stay adjacent)
    order.shuffle(test)
    dev += later  # after the split, so the test split is unchanged by them
    write(root / "data/gold/dev" / f"{FRAMEWORK_ID}.csv", dev)
    write(root / "data/gold/test" / f"{FRAMEWORK_ID}.csv", test)
    print(summary("all", units))
    print(summary("dev", dev))
    print(summary("test", test))


if __name__ == "__main__":
    main()
